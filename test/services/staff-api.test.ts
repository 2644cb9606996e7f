import { describeStaffApi } from '../support/staffApiSuite.js';

describeStaffApi('services');
