// `npm run fit:suspects [-- --cases DIR] [--check]`: fits the suspect model on the culprit dataset
// (real reverts, see its README) and writes src/core/suspects/model.json. Deterministic: the same
// cases give the same file, so a diff of model.json shows what a data change did. --check only
// compares and fails when the shipped model is stale.

import { readFile, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { errorMessage } from "../src/core/errors.js";
import { caseFeatures } from "../src/core/suspects/scoring.js";
import { trainModel, type LabelledFeatures } from "../src/core/suspects/training.js";
import { DEFAULT_CASES_DIR, loadDataset, toCorrelationCase } from "./culprit-cases.js";

const MODEL_PATH = new URL("../src/core/suspects/model.json", import.meta.url);

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((a) => a !== "--"),
    options: {
      cases: { type: "string", default: DEFAULT_CASES_DIR },
      check: { type: "boolean", default: false },
    },
  });
  const dataset = await loadDataset(values.cases);
  const labelled: LabelledFeatures[] = dataset.map((d) => ({
    group: d.repo,
    features: caseFeatures(toCorrelationCase(d, { serviceMap: true })),
    truth: d.truth,
  }));
  const model = trainModel(labelled);
  const text =
    JSON.stringify({ ...model, trainedOn: "culprit-dev (real reverts, 6 repositories)" }, null, 2) + "\n";
  if (values.check) {
    const shipped = await readFile(MODEL_PATH, "utf8");
    if (JSON.stringify(JSON.parse(shipped)) !== JSON.stringify(JSON.parse(text))) {
      console.error("src/core/suspects/model.json is stale: run npm run fit:suspects");
      return 1;
    }
    console.log("model.json matches a fit on", values.cases);
    return 0;
  }
  await writeFile(MODEL_PATH, text);
  console.log(
    `wrote src/core/suspects/model.json from ${labelled.length} cases (temperature ${model.temperature})`,
  );
  for (const f of model.features) console.log(`  ${f.padEnd(20)} ${model.coefficients[f]!.toFixed(3)}`);
  console.log(
    `  ${"outside option".padEnd(20)} ${model.outside!.toFixed(3)} (log-odds of "no listed PR", set by hand)`,
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`fit:suspects: ${errorMessage(err)}`);
    process.exit(2);
  },
);
