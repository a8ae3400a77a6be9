import { describe, expect, it } from "vitest";
import { redactUrl } from "../../../src/core/text/urls.js";

describe("redactUrl", () => {
  it("drops user:password and query values, keeping the parameter names", () => {
    expect(redactUrl("https://reader:s3cret@prom.example/api?api_key=K3Y&org=1")).toBe(
      "https://prom.example/api?api_key=redacted&org=redacted",
    );
  });
  it("leaves a plain URL alone and scrubs what is not a URL", () => {
    expect(redactUrl("http://127.0.0.1:9090/")).toBe("http://127.0.0.1:9090/");
    expect(redactUrl("prom//user:pw@host?token=x")).toBe("prom//host?redacted");
  });
});
