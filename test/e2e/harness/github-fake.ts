// The app's end-to-end GitHub is the stand-in `aftershock demo` uses (src/demo/github-standin.ts),
// under the names the e2e tests use.
export {
  STANDIN_INSTALLATION_ID as FAKE_INSTALLATION_ID,
  startGithubStandin as startGithubFake,
  type GithubStandin as GithubFake,
  type GithubStandinOptions as GithubFakeOptions,
  type StandinIssue as FakeIssue,
  type StandinRequest as FakeRequest,
} from "../../../src/demo/github-standin.js";
