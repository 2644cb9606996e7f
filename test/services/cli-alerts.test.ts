import { describeAlertAndPlanCli } from '../support/cliAlertsSuite.js';

describeAlertAndPlanCli('services');
