"""Time the parts of one report build over a large journal: `python -m tools.bench_report`.

It writes a throwaway patient with a year of esketamine and lamotrigine doses and the
given number of symptom entries (`--entries`, 10,000 unless told), builds one report the
way a worker does (content, chart, PDF, CSV, FHIR, files), prints the time of each part,
and deletes the patient again.
"""
