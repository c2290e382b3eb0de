/** The policy what-if job's ports over the database (activities/policy-simulation.ts), for the worker. */
import type { PolicySimulationPorts } from '../activities/policy-simulation.js';
import { merchantCaseInputs } from '../db/case-inputs.js';
import { caseStages, caseStepsOfKinds } from '../db/case-stages.js';
import type { Db } from '../db/client.js';
import { createPolicySimulations } from '../db/policy-simulations.js';
import { createRepositories } from '../db/repositories.js';
import { COURIER_ANSWER_STEPS, courierAnswers, parcelCorrections, recordedCases, startSimulatorProcess, WAREHOUSE_ANSWER_STEPS, warehouseAnswers } from '../simulation/index.js';

export function policySimulationPorts(db: Db): PolicySimulationPorts {
  const repos = createRepositories(db);
  return {
    jobs: createPolicySimulations(db),
    async recordedCases(q) {
      const cases = recordedCases(await merchantCaseInputs(db, q));
      const ids = cases.map((c) => c.caseId);
      const [stages, steps] = await Promise.all([caseStages(db, ids), caseStepsOfKinds(db, ids, [...new Set([...WAREHOUSE_ANSWER_STEPS, ...COURIER_ANSWER_STEPS])])]);
      return cases.map((c) => {
        // What the warehouse and the courier's trace told the real case: the replay hears the same (docs/policy-simulation.md).
        const own = steps.get(c.caseId) ?? [];
        const answers = warehouseAnswers(own.filter((s) => (WAREHOUSE_ANSWER_STEPS as readonly string[]).includes(s.kind)));
        const traces = courierAnswers(own);
        const corrections = parcelCorrections(own);
        return {
          ...c,
          recordedStages: stages.get(c.caseId),
          ...(answers.length ? { warehouseAnswers: answers } : {}),
          ...(traces.length ? { courierAnswers: traces } : {}),
          ...(Object.keys(corrections).length ? { parcelCorrections: corrections } : {}),
        };
      });
    },
    async policyVersion(merchantId, version) {
      const policy = await repos.policyVersion(merchantId, version);
      return policy ? { policy, fulfilment: await repos.fulfilmentPolicy(merchantId, version) } : null;
    },
    // In a process of its own (simulation/process.ts), with two clocks side by side: about 1.6× the
    // speed of one on two cores, leaving the API and the case worker room (bench/policy-simulation.ts).
    startSimulator: () => startSimulatorProcess({ shards: 2 }),
  };
}
