// The registry: who and what the hub knows of. Organisations, their care units, staff and their
// units, the patients registered to a unit, and the patients' devices. The only code that writes
// SQL for `organisations`, `care_units`, `staff`, `staff_units`, `devices`, `care_relationships`
// and the registration columns of `patients` (its id, name, fixed contact and frailty level),
// and `frailty_assessments`, the dated history of that level,
// and `on_call_shifts` (the on-call roster, roster.ts).
// The admin CLI (server/admin/commands/), the staff API (server/http/api/devices.ts), the
// embedded broker's device check (server/broker/deviceAuth.ts) and the rules' re-measurement
// requests (server/rules/remeasureStore.ts) all call these functions.
//
// The ingest's batch statement (server/store/readings.ts) embeds the registry's query of its
// devices (batchDevices.ts) so that a batch costs one round trip and a device revoked a moment
// ago is refused from the next batch on.
//
// Reads of patients and staff for the staff's views go through patientCards and staffNames;
// the alert list joins them in its one query (server/alerts/views.ts).
export * from './devices.js';
export * from './frailty.js';
export * from './organisations.js';
export * from './patients.js';
export * from './roster.js';
export * from './staff.js';
// the ways in check the ids a person typed with the registry's own refusal
export { mustExist, type Known } from './exists.js';
