import { generateScenarios, splitAtDeploy } from "./scenarios.js";
const [seed, ...ids] = process.argv.slice(2);
for (const s of generateScenarios(Number(seed))) {
  if (!ids.includes(s.id)) continue;
  const { baseline, watch } = splitAtDeploy(s);
  const f = (x: number) => (Number.isFinite(x) ? x.toPrecision(3) : "NaN");
  console.log(s.id, s.deployTime);
  console.log(" base:", baseline.map((x) => f(x.v)).join(" "));
  console.log(" watch:", watch.map((x) => f(x.v)).join(" "));
}
