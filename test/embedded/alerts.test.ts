import { openPglite } from '../../server/store/db.js';
import { describeAlertLifecycle } from '../support/alertsSuite.js';

describeAlertLifecycle('embedded PGlite', async () => {
  const db = await openPglite();
  return { db, close: () => db.close() };
});
