#!/usr/bin/env python3
"""Prints 'N passed, N failed, N skipped' from Meson's JSON test logs (one or more).

Before it, each failed test's failing checks: its 'not ok' lines (TAP, as
every guest and nested job prints them) and the '#' lines that explain a
retry. Meson's --print-errorlogs shows only the last 100 lines of a long log,
which for a nested job is where the failure is not; this keeps the reason
in what CI shows of the run's end.

Then, for passed tests too, how many guest runs each ran again after an L2
vCPU shutdown of L1's emulated SVM (tests/nested/svm-shutdown.sh), or how
many L1s l1-run booted again after an infrastructure failure: a retry that
let a test pass is counted where CI shows it, not only in its log. The
count line stays alone on its line; right after it comes
'retries: K (test: cause, ...)', K being 0 when nothing was run again.
"""
import json
import sys

SHOWN_PER_TEST = 40
# What again_after_svm_shutdown prints, once per guest run it repeats.
SVM_RETRY = "shut down with no exception the guest could report"
# What scripts/nested/l1-run prints when it boots an L1 again.
L1_RETRY = "; retrying once"

counts = {"passed": 0, "failed": 0, "skipped": 0}
failures = []
svm_retries = []
for path in sys.argv[1:]:
    with open(path) as log:
        for line in log:
            test = json.loads(line)
            result = test["result"]
            test["output"] = (test.get("stdout") or "") + (test.get("stderr") or "")
            for cause, marker in (("L2 SVM shutdown", SVM_RETRY), ("L1 hang or reset", L1_RETRY)):
                retries = test["output"].count(marker)
                if retries:
                    svm_retries.append((test["name"], retries, result, cause))
            if result in ("OK", "EXPECTEDFAIL"):
                counts["passed"] += 1
            elif result == "SKIP":
                counts["skipped"] += 1
            else:
                counts["failed"] += 1
                failures.append(test)

for test in failures:
    output = test["output"]
    lines = [l for l in output.splitlines()
             if l.startswith("not ok") or l.startswith("# ") or "infrastructure failure" in l]
    print(f"FAILED {test['name']} ({test['result']}, {test['duration']:.0f} s):")
    for l in lines[-SHOWN_PER_TEST:]:
        print(f"  {l[:300]}")
    if not lines:
        print("  (no 'not ok' line; its last lines:)")
        for l in output.splitlines()[-5:]:
            print(f"  {l[:300]}")
for name, retries, result, cause in svm_retries:
    print(f"# {name} ({result}): {retries} run(s) repeated after: {cause}")
print(f"{counts['passed']} passed, {counts['failed']} failed, {counts['skipped']} skipped")
total = sum(r[1] for r in svm_retries)
causes = ", ".join(f"{name}: {retries}x {cause}" for name, retries, _, cause in svm_retries)
print(f"retries: {total}" + (f" ({causes})" if causes else ""))
sys.exit(1 if counts["failed"] or not counts["passed"] else 0)
