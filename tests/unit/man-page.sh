#!/bin/bash
# man-page.sh PCIVMM MANPAGE: the manual renders without a warning and says
# what --help says: every option and every exit status.
set -u
pcivmm=$1 page=$2
command -v man >/dev/null || { echo "SKIP: man not installed (apt-get install man-db)"; exit 77; }
fail=0
warnings=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
[ -z "$warnings" ] || { echo "not ok - man -l warns: $warnings"; fail=1; }
text=$(MANWIDTH=200 man -l "$page" 2>/dev/null | col -b)
help=$("$pcivmm" --help)
for opt in $(grep -o -E -- '--[a-z][a-z-]+' <<<"$help" | sort -u); do
	grep -q -F -- "$opt" <<<"$text" || { echo "not ok - --help has $opt, the manual does not"; fail=1; }
done
for code in $(sed -n 's/^  \([0-9][0-9v+]*\) .*/\1/p' <<<"$help"); do
	grep -q -E "^ +${code//+/\\+}( |$)" <<<"$text" ||
		{ echo "not ok - --help documents exit status $code, the manual does not"; fail=1; }
done
for key in 'Ctrl-A x' 'Ctrl-A h' 'Ctrl-A Ctrl-A' SIGUSR1 SIGTERM; do
	grep -q -F "$key" <<<"$text" || { echo "not ok - the manual does not mention $key"; fail=1; }
done
[ $fail -eq 0 ] && echo "ok - the manual renders cleanly and covers --help's options, exit statuses, keys and signals"
exit $fail
