import { describeStaffApi } from '../support/staffApiSuite.js';

describeStaffApi('embedded');
