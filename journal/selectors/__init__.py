"""Reads of patients' journals for pages and the API.

Every read starts from the patient: a row that belongs to someone else is never found,
so the pages and the API answer 404 for it.
"""

from journal.selectors.checkin_session import (
    CHECKIN_USUAL_SYMPTOMS,
    CheckInStep,
    CheckInStepRating,
    checkin_side_effects,
    checkin_steps,
)
from journal.selectors.measurements import (
    MeasurementFlagger,
    clinic_session_of,
    measurement_flags_for,
    measurement_get,
    measurement_list,
    readings_of_dose,
    warning_signs_by_kind,
)
from journal.selectors.pages import (
    Dashboard,
    Timeline,
    TimelineDay,
    TimelineRows,
    dashboard,
    timeline,
)
from journal.selectors.records import (
    SUGGESTION_WINDOW,
    DosesNear,
    course_get,
    course_list,
    dose_get,
    dose_list,
    dose_suggested,
    doses_for_choice,
    doses_near,
    doses_suggested,
    entry_get,
    entry_list,
    relations_fill,
    symptom_choices,
)
from journal.selectors.red_flags import (
    DangerSignGroup,
    RedFlagMatcher,
    danger_sign_groups,
    danger_sign_labels,
    red_flags_for,
)

__all__ = [
    "CHECKIN_USUAL_SYMPTOMS",
    "SUGGESTION_WINDOW",
    "CheckInStep",
    "CheckInStepRating",
    "DangerSignGroup",
    "Dashboard",
    "DosesNear",
    "MeasurementFlagger",
    "RedFlagMatcher",
    "Timeline",
    "TimelineDay",
    "TimelineRows",
    "checkin_side_effects",
    "checkin_steps",
    "clinic_session_of",
    "course_get",
    "course_list",
    "danger_sign_groups",
    "danger_sign_labels",
    "dashboard",
    "dose_get",
    "dose_list",
    "dose_suggested",
    "doses_for_choice",
    "doses_near",
    "doses_suggested",
    "entry_get",
    "entry_list",
    "measurement_flags_for",
    "measurement_get",
    "measurement_list",
    "readings_of_dose",
    "red_flags_for",
    "relations_fill",
    "symptom_choices",
    "timeline",
    "warning_signs_by_kind",
]
