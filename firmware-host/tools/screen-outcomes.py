#!/usr/bin/env python3
"""Prints the stored outcomes of a `spinescan screen` data folder in a comparable form.

Reads the outbox payloads (the anonymized SyncReport JSON, plain text in the store) and prints, per pupil
pseudonym, everything a screening stored except what differs from run to run by design: report id, device id,
capture time, parent-link hash and expiry, and the stage timings. The review depth map is printed as a digest
on its own line, so a run that changes only the map shows only those lines.

    python3 firmware-host/tools/screen-outcomes.py DIR > a.txt   # before
    python3 firmware-host/tools/screen-outcomes.py DIR > b.txt   # after
    diff a.txt b.txt

Run both screens with the same programme key (SPINESCAN_Station__ProgrammeKey=...) and seed, so the
pseudonyms and the phantom children agree.
"""
import hashlib
import json
import sqlite3
import sys


def main(folder: str) -> None:
    db = sqlite3.connect(f"file:{folder}/spinescan.db?mode=ro", uri=True)
    rows = [json.loads(r[0]) for r in db.execute("select PayloadJson from outbox order by Id")]
    for report in sorted(rows, key=lambda r: r["pupilPseudonym"]):
        for key in ("reportId", "deviceId", "capturedAt", "parentLink", "supersedes"):
            report.pop(key, None)
        report["analysis"].pop("timingsMs", None)
        depth = report.pop("depthMap", None)
        print(json.dumps(report, sort_keys=True))
        digest = hashlib.sha256(json.dumps(depth, sort_keys=True).encode()).hexdigest()[:16] if depth else None
        print(f"  depthMap {report['pupilPseudonym'][:12]} {digest}")


if __name__ == "__main__":
    main(sys.argv[1])
