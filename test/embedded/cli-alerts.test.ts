import { describeAlertAndPlanCli } from '../support/cliAlertsSuite.js';

describeAlertAndPlanCli('embedded');
