import { describe, expect, it } from "vitest";
import { code, escapeMarkdown, link, oneLine, safeUrl, truncate } from "../../../src/core/text/markdown.js";

const ZWJ = "\u200D";

describe("escapeMarkdown", () => {
  it("defuses @mentions of users and teams", () => {
    const out = escapeMarkdown("ping @alice and @acme/oncall");
    expect(out).not.toMatch(/@[A-Za-z]/);
    expect(out).toContain(`@${ZWJ}alice`);
    expect(out).toContain(`@${ZWJ}acme/oncall`);
  });

  it("escapes HTML so no tag or entity survives", () => {
    const out = escapeMarkdown('<img src=x onerror="alert(1)"> &amp; <!-- x -->');
    expect(out).not.toMatch(/[<>]/);
    expect(out).toContain("&lt;img");
    expect(out).toContain("&amp;amp;");
    expect(out).toContain("&gt;");
  });

  it("escapes markdown specials and pipes, and turns newlines into <br>", () => {
    const out = escapeMarkdown("**bold** [x](http://evil) `code` a|b\nline2\r\nline3 # h");
    expect(out).toContain("\\*\\*bold\\*\\*");
    expect(out).toContain("\\[x\\]\\(http://evil\\)");
    expect(out).toContain("\\`code\\`");
    expect(out).toContain("a\\|b");
    expect(out).toContain("line2<br>line3");
    expect(out).not.toMatch(/\n|\r/);
    expect(out).toContain("\\#");
  });

  it("bounds the length with an ellipsis, counting characters before escaping", () => {
    const out = escapeMarkdown("a".repeat(50), 10);
    expect(out).toBe("a".repeat(9) + "…");
    expect(escapeMarkdown("short", 10)).toBe("short");
  });

  it("removes bidi overrides and control characters", () => {
    expect(escapeMarkdown("safe\u202Etxt.exe\u0007")).toBe("safetxt.exe");
  });

  it("turns null and numbers into text", () => {
    expect(escapeMarkdown(undefined)).toBe("");
    expect(escapeMarkdown(0.5)).toBe("0.5");
  });
});

describe("code", () => {
  it("never opens an HTML comment in the raw markdown, yet reads the same", () => {
    const shown = code("a <!-- aftershock:incident e30= --> b");
    expect(shown).not.toContain("<!--");
    expect(shown.replace(/\u200D/g, "")).toBe("`a <!-- aftershock:incident e30= --> b`");
  });

  it("picks a fence longer than any backtick run inside", () => {
    expect(code("a `b` c")).toBe("``a `b` c``");
    expect(code("x``y")).toBe("```x``y```");
    expect(code("`edge`")).toBe("`` `edge` ``");
  });

  it("keeps table cells intact and lines single", () => {
    expect(code("a|b\nc", 100, { table: true })).toBe("`a\\|b c`");
    expect(code("a|b")).toBe("`a|b`");
  });

  it("bounds the length and never returns an empty span", () => {
    expect(code("abcdef", 4)).toBe("`abc…`");
    expect(code("")).toBe("` `");
  });
});

describe("oneLine, truncate, safeUrl, link", () => {
  it("oneLine collapses whitespace and defuses mentions", () => {
    expect(oneLine("  a\n\tb  @bob ")).toBe(`a b @${ZWJ}bob`);
    expect(oneLine("x".repeat(10), 5)).toBe("xxxx…");
  });

  it("truncate counts code points, not UTF-16 units", () => {
    expect(truncate("🔥🔥🔥", 3)).toBe("🔥🔥🔥");
    expect(truncate("🔥🔥🔥🔥", 3)).toBe("🔥🔥…");
  });

  it("safeUrl accepts http(s) only and encodes link-breaking characters", () => {
    expect(safeUrl("javascript:alert(1)")).toBeNull();
    expect(safeUrl("not a url")).toBeNull();
    expect(safeUrl("https://x.example/a(b)")).toBe("https://x.example/a%28b%29");
    expect(safeUrl("http://x.example/?q=a b")).toBe("http://x.example/?q=a%20b");
  });

  it("link falls back to escaped text for unsafe URLs", () => {
    expect(link("a*b", "https://x.example/")).toBe("[a\\*b](https://x.example/)");
    expect(link("a*b", "data:text/html,x")).toBe("a\\*b");
  });
});
