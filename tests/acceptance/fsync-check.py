# SPDX-License-Identifier: Apache-2.0
"""fsync-check TRACE NAME...: from `strace -f -e trace=openat,openat2,fsync,
fdatasync,rename,renameat,renameat2,close` of a real run, check that each
report NAME was written durably and atomically (issue 14, #22):
  - its temp file was opened with O_CREAT|O_EXCL in the output dir,
  - that temp file was fsync'ed (or fdatasync'ed) before the rename,
  - it was renamed over NAME (never written in place),
  - and the directory holding it was fsync'ed after the rename.
Prints one line per problem; exit 1 if any."""
import re
import sys

call = re.compile(r'^(\d+)\s+(\w+)\((.*)\)\s+=\s+(-?\d+|\?)')
strarg = re.compile(r'"((?:[^"\\]|\\.)*)"')


def lines(path):
    pending = {}
    for raw in open(path, encoding='utf-8', errors='replace'):
        raw = raw.rstrip('\n')
        m = re.match(r'^(\d+)\s+(.*) <unfinished \.\.\.>$', raw)
        if m:
            pending[m.group(1)] = m.group(2)
            continue
        m = re.match(r'^(\d+)\s+<\.\.\. \w+ resumed>(.*)$', raw)
        if m and m.group(1) in pending:
            raw = m.group(1) + ' ' + pending.pop(m.group(1)) + m.group(2)
        yield raw


def main():
    trace, names = sys.argv[1], sys.argv[2:]
    fds, events, dirpaths = {}, [], set()
    for ln in lines(trace):
        m = call.match(ln)
        if not m:
            continue
        pid, name, args, ret = m.groups()
        if ret == '?':
            continue
        ret = int(ret)
        strs = strarg.findall(args)
        first = args.split(',')[0].strip()
        if name in ('openat', 'openat2') and ret >= 0 and strs:
            fds[(pid, ret)] = strs[0]
            if 'O_DIRECTORY' in args:
                dirpaths.add(strs[0])
            events.append(('open', strs[0], 'O_CREAT' in args and 'O_EXCL' in args))
        elif name == 'close' and first.isdigit():
            fds.pop((pid, int(first)), None)
        elif name in ('fsync', 'fdatasync') and ret == 0 and first.isdigit():
            events.append(('fsync', fds.get((pid, int(first)), '?fd' + first), False))
        elif name.startswith('rename') and ret == 0 and len(strs) >= 2:
            events.append(('rename', strs[0] + '\0' + strs[1], False))
    bad = []
    for n in names:
        ren = [i for i, e in enumerate(events) if e[0] == 'rename' and e[1].split('\0')[1] == n]
        if not ren:
            opened_in_place = [e for e in events if e[0] == 'open' and e[1].endswith(n)]
            bad.append('%s: never renamed into place%s' % (n, ' (written in place)' if opened_in_place else ''))
            continue
        r = ren[-1]
        tmp = events[r][1].split('\0')[0]
        opens = [i for i, e in enumerate(events[:r]) if e[0] == 'open' and e[1] == tmp]
        if not opens or not events[opens[-1]][2]:
            bad.append('%s: temp %s not created with O_CREAT|O_EXCL before the rename' % (n, tmp))
            continue
        if not any(e[0] == 'fsync' and e[1] == tmp for e in events[opens[-1]:r]):
            bad.append('%s: temp %s not fsync\'ed before the rename' % (n, tmp))
        dirs = [e[1] for e in events[r + 1:] if e[0] == 'fsync' and e[1] in dirpaths]
        if not dirs:
            bad.append('%s: the output dir was not fsync\'ed after the rename' % n)
    for b in bad:
        print(b)
    return 1 if bad else 0


sys.exit(main())
