/* SPDX-License-Identifier: GPL-2.0-only */
/* Jailhouse inmate library: command line parsing ("name=value" tokens). */

#include <inmate.h>

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * Find option @param. Returns its value (the character after '='), an empty
 * string for a bare "name" token, NULL if missing. The last occurrence wins.
 */
static const char *find_option(const char *param, unsigned long *len)
{
	unsigned long plen = strlen(param);
	const char *p = cmdline, *found = NULL, *end;

	while (*p) {
		while (is_blank(*p))
			p++;
		if (!*p)
			break;
		for (end = p; *end && !is_blank(*end); end++)
			;
		if ((unsigned long)(end - p) >= plen &&
		    strncmp(p, param, plen) == 0 &&
		    (p + plen == end || p[plen] == '=')) {
			found = p + plen + (p + plen == end ? 0 : 1);
			*len = end - found;
		}
		p = end;
	}
	return found;
}

const char *cmdline_parse_str(const char *param, char *buf,
			      unsigned long size, const char *defval)
{
	unsigned long len;
	const char *value = find_option(param, &len);

	if (!value || size == 0)
		return defval;
	if (len > size - 1)
		len = size - 1;
	memcpy(buf, value, len);
	buf[len] = 0;
	return buf;
}

long long cmdline_parse_int(const char *param, long long defval)
{
	unsigned long long result = 0;
	unsigned int base = 10, digit;
	unsigned long len;
	const char *value = find_option(param, &len);
	const char *end;
	bool negative = false;

	if (!value || len == 0)
		return defval;
	end = value + len;
	if (*value == '-') {
		negative = true;
		value++;
	}
	if (value + 1 < end && value[0] == '0' &&
	    (value[1] == 'x' || value[1] == 'X')) {
		base = 16;
		value += 2;
	} else if (value + 1 < end && value[0] == '0') {
		base = 8;
		value++;
	}
	if (value == end)
		return defval;
	for (; value < end; value++) {
		if (*value >= '0' && *value <= '9')
			digit = *value - '0';
		else if (*value >= 'a' && *value <= 'f')
			digit = *value - 'a' + 10;
		else if (*value >= 'A' && *value <= 'F')
			digit = *value - 'A' + 10;
		else
			return defval;
		if (digit >= base)
			return defval;
		result = result * base + digit;
	}
	return negative ? -(long long)result : (long long)result;
}

bool cmdline_parse_bool(const char *param, bool defval)
{
	static const char *const yes[] = { "1", "true", "on", "yes" };
	static const char *const no[] = { "0", "false", "off", "no" };
	unsigned long len, n;
	const char *value = find_option(param, &len);

	if (!value)
		return defval;
	if (len == 0)
		return true;
	for (n = 0; n < ARRAY_SIZE(yes); n++) {
		if (strlen(yes[n]) == len && strncmp(value, yes[n], len) == 0)
			return true;
		if (strlen(no[n]) == len && strncmp(value, no[n], len) == 0)
			return false;
	}
	return defval;
}
