// The admin commands for organisations and their care units: adding them, and naming the unit
// that covers one at nights and weekends.
import { z } from 'zod';
import { addOrganisation, addUnit, setUnitOnCall } from '../../registry/index.js';
import { define, id, name } from './define.js';

export const organisationCommands = {
  'org add': define({
    summary: 'add an organisation (a region or a municipality)',
    args: z.object({ name, kind: z.enum(['region', 'municipality']) }),
    run: ({ db }, a) => addOrganisation(db, a),
    describe: (r) => `organisation ${r.id}`,
  }),

  'unit add': define({
    summary: 'add a care unit (a health centre, a home-care team) to an organisation',
    args: z.object({ org: id, name }),
    run: ({ db }, a) => addUnit(db, { organisationId: a.org, name: a.name }),
    describe: (r) => `care unit ${r.id}`,
  }),

  'unit set': define({
    summary: 'set who covers a care unit at nights and weekends (the last escalation step)',
    positional: ['unit'],
    args: z.object({ unit: id, onCall: id }),
    run: ({ db }, a) => setUnitOnCall(db, { unitId: a.unit, onCallUnitId: a.onCall }),
    describe: (r) => `care unit ${r.id}: on call ${r.onCall}`,
  }),
};
