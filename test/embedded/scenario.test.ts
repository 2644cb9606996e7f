import { describeScenarios } from '../support/scenarioSuite.js';

describeScenarios('embedded');
