"""E-applications at scale: the signed answer, the receipt, the staff queue.

    .venv/bin/python bench/applications.py [--runs 15]

Prints the median time (wall and CPU of this process) of:
  * signing the answer PDF with the municipality's certificate (PAdES), target ≤ 500 ms;
  * drawing the answer PDF and the receipt PDF (part of submission's ≤ 300 ms);
  * validating a signed answer with pyHanko's validator.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import date, datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("SYROS_DATA_DIR", tempfile.mkdtemp(prefix="syros-bench-"))

from service_levels import median_ms  # noqa: E402  (bench/ is on the path when run as a script)

from syros_app.applications import documents, signing  # noqa: E402

WHEN = datetime(2026, 3, 9, 8, 30, tzinfo=timezone.utc)
ANSWER = documents.AnswerData(
    reference="A-2026-000123", service="Άδεια τραπεζοκαθισμάτων", applicant="Στέλλα Βαφειάδη",
    outgoing_protocol="Εξ. 12/2026", incoming_protocol="Εισ. 1234/2026", officer="Μαρία Παππά",
    decision="Εγκρίνεται η χρήση 8 τ.μ. πεζοδρομίου μπροστά από το κατάστημα, από 1 Απριλίου έως 31 Οκτωβρίου. " * 4,
    answered_at=WHEN, department="Διεύθυνση Οικονομικών")
RECEIPT = documents.ReceiptData(
    reference="A-2026-000123", service="Παραλαβή ογκωδών αντικειμένων", applicant="Στέλλα Βαφειάδη",
    submitted_at=WHEN, protocol_number="Εισ. 1234/2026", target_date=date(2026, 3, 16),
    answers=tuple((f"Πεδίο {i}", "Ερμού 12, Ερμούπολη") for i in range(8)))


def pdf_section(runs: int) -> None:
    answer_pdf = documents.render_answer(ANSWER)
    signed = signing.sign_pdf(answer_pdf, reason="bench")
    for label, fn, target in (
        ("signing the answer PDF (PAdES, pyHanko)", lambda: signing.sign_pdf(answer_pdf, reason="bench"), " (target ≤ 500)"),
        ("drawing + signing the answer PDF", lambda: documents.signed_answer(ANSWER), ""),
        ("drawing the receipt PDF", lambda: documents.render_receipt(RECEIPT), ""),
        ("validating a signed answer", lambda: signing.validate(signed), ""),
    ):
        wall, cpu = median_ms(fn, runs)
        print(f"  {label}: median {wall:.1f} ms wall, {cpu:.1f} ms CPU{target}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("documents:")
    pdf_section(args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
