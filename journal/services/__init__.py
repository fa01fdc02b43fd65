"""Writes to patients' journals. Pages and the API both call these, so the rules live here.

Each service validates everything before it writes and raises `ValidationError` keyed by
field, so bad input changes nothing and both forms and the API can show the reasons.

Who made the change (`logged_by`, or `acted_by` where nothing records it on the row) is
the patient, or a caregiver keeping their journal: a caregiver's change is written to the
patient's audit log in the same transaction, with the `request` it came in.
"""

from journal.services.checkin_steps import StepRating, checkin_step_record
from journal.services.common import CLOCK_TOLERANCE, EARLIEST, SUGGESTED
from journal.services.courses import CourseInput, course_create, course_delete, course_update
from journal.services.doses import dose_create, dose_delete, dose_taken_now, dose_update
from journal.services.entries import (
    READ_FROM_WORDS,
    EntryInput,
    entry_time_problems,
    symptom_entry_create,
    symptom_entry_delete,
    symptom_entry_quick_create,
    symptom_entry_undo,
    symptom_entry_update,
)
from journal.services.measurements import (
    NOT_A_CLINIC_SESSION,
    MeasurementInput,
    clinic_session_save,
    is_clinic_session,
    measurement_create,
    measurement_delete,
    measurement_update,
)

__all__ = [
    "CLOCK_TOLERANCE",
    "EARLIEST",
    "NOT_A_CLINIC_SESSION",
    "READ_FROM_WORDS",
    "SUGGESTED",
    "CourseInput",
    "EntryInput",
    "MeasurementInput",
    "StepRating",
    "checkin_step_record",
    "clinic_session_save",
    "course_create",
    "course_delete",
    "course_update",
    "dose_create",
    "dose_delete",
    "dose_taken_now",
    "dose_update",
    "entry_time_problems",
    "is_clinic_session",
    "measurement_create",
    "measurement_delete",
    "measurement_update",
    "symptom_entry_create",
    "symptom_entry_delete",
    "symptom_entry_quick_create",
    "symptom_entry_undo",
    "symptom_entry_update",
]
