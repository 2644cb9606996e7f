import { describeRealtime } from '../support/realtimeSuite.js';

describeRealtime('embedded');
