import { describe, expect, it } from "vitest";
import { escapePromQLString, renderQuery } from "../../../src/core/gate/template.js";

const vars = { service: "checkout", environment: "prod", version: "v1.2.3" };

describe("renderQuery", () => {
  it("fills all three placeholders, with or without spaces inside the braces", () => {
    const q = 'rate(x{service="{{service}}", env="{{ environment }}", version="{{version}}"}[5m])';
    expect(renderQuery(q, vars)).toBe('rate(x{service="checkout", env="prod", version="v1.2.3"}[5m])');
  });

  it("fills every occurrence of a placeholder", () => {
    expect(renderQuery('a{s="{{service}}"} / b{s="{{service}}"}', vars)).toBe(
      'a{s="checkout"} / b{s="checkout"}',
    );
  });

  it("leaves a query without placeholders unchanged and needs no vars for it", () => {
    expect(renderQuery('sum(rate(http_requests_total{code=~"5.."}[5m]))', {})).toBe(
      'sum(rate(http_requests_total{code=~"5.."}[5m]))',
    );
  });

  it("escapes a value so it cannot close the label matcher", () => {
    const rendered = renderQuery('errors{service="{{service}}"}', { service: 'a"} or vector(1) #' });
    expect(rendered).toBe('errors{service="a\\"} or vector(1) #"}');
    // The only unescaped quotes left are the two the query author wrote.
    expect(rendered.match(/(?<!\\)"/g)).toHaveLength(2);
  });

  it("escapes backslashes before quotes, so a trailing backslash cannot escape the closing quote", () => {
    expect(renderQuery('x{s="{{service}}"}', { service: "a\\" })).toBe('x{s="a\\\\"}');
    expect(renderQuery('x{s="{{service}}"}', { service: 'a\\"}' })).toBe('x{s="a\\\\\\"}"}');
  });

  it("escapes a newline (PromQL strings cannot span lines)", () => {
    expect(renderQuery('x{s="{{version}}"}', { version: "1\n2" })).toBe('x{s="1\\n2"}');
  });

  it("does not expand placeholders that arrive inside a value", () => {
    expect(renderQuery('x{s="{{service}}"}', { service: "{{version}}", version: "v9" })).toBe(
      'x{s="{{version}}"}',
    );
  });

  it("rejects an unknown placeholder and lists the known ones", () => {
    expect(() => renderQuery('x{s="{{team}}"}', vars)).toThrow(
      "query uses {{team}}, which is not known: use {{service}}, {{environment}} or {{version}}",
    );
  });

  it.each(["service", "environment", "version"] as const)(
    "says which input to set when %s is missing",
    (name) => {
      const partial = { ...vars, [name]: undefined };
      expect(() => renderQuery(`x{l="{{${name}}}"}`, partial)).toThrow(
        `query uses {{${name}}} but no ${name} was given: set the ${name} input (--${name})`,
      );
    },
  );

  it("treats an empty value as missing", () => {
    expect(() => renderQuery('x{s="{{service}}"}', { service: "" })).toThrow(/no service was given/);
  });
});

describe("escapePromQLString", () => {
  it.each([
    ["plain", "plain"],
    ['say "hi"', 'say \\"hi\\"'],
    ["C:\\path", "C:\\\\path"],
    ["a\nb", "a\\nb"],
    ['\\"', '\\\\\\"'],
  ])("%j → %j", (input, output) => {
    expect(escapePromQLString(input)).toBe(output);
  });
});
