// SPDX-License-Identifier: Apache-2.0
/* Dates as the packet format and the CLI write them (pure). */
#include <ctype.h>
#include <string.h>

#include "tki/common.h"

static bool digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

static int days_in_month(int y, int m)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return mdays[m - 1] + (m == 2 && leap);
}

/* full-date = YYYY-MM-DD with a real calendar day; s[10] is not looked at. */
static bool full_date(const char *s)
{
	int y, mo, d;
	return digits(s, 4, &y) && s[4] == '-' && digits(s + 5, 2, &mo) && s[7] == '-' &&
	       digits(s + 8, 2, &d) && mo >= 1 && mo <= 12 && d >= 1 && d <= days_in_month(y, mo);
}

bool tki_date_valid(const char *s)
{
	return s && strlen(s) == 10 && full_date(s);
}

bool tki_rfc3339_utc(const char *s, char date_out[11])
{
	int h, mi, sec;
	if (!s || strlen(s) < 20 || !full_date(s))
		return false;
	if ((s[10] != 'T' && s[10] != 't') || !digits(s + 11, 2, &h) || s[13] != ':' ||
	    !digits(s + 14, 2, &mi) || s[16] != ':' || !digits(s + 17, 2, &sec))
		return false;
	if (h > 23 || mi > 59 || sec > 59)
		return false;
	const char *p = s + 19;
	if (*p == '.') {
		p++;
		size_t n = 0;
		while (isdigit((unsigned char)p[n]))
			n++;
		if (n == 0 || n > 9)
			return false;
		p += n;
	}
	if (strcmp(p, "Z") && strcmp(p, "z") && strcmp(p, "+00:00"))
		return false;
	if (date_out) {
		memcpy(date_out, s, 10);
		date_out[10] = '\0';
	}
	return true;
}

long tki_days_from_date(const char *s)
{
	int y = 1970, m = 1, d = 1;
	if (!digits(s, 4, &y) || !digits(s + 5, 2, &m) || !digits(s + 8, 2, &d))
		return 0; /* callers pass dates tki_date_valid accepted */
	/* H. Hinnant's days_from_civil. */
	long yy = m <= 2 ? y - 1 : y;
	long era = (yy >= 0 ? yy : yy - 399) / 400;
	long yoe = yy - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}
