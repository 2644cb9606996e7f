import { describeRulesOnIngest } from '../support/rulesSuite.js';

describeRulesOnIngest('embedded');
