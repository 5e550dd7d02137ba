// Takes docs/images/lsp-vscode.png in code-server with the packaged extension, and checks
// that diagnostics, hover, go to definition, completion, the quick fix and formatting work
// through it. Usage (README.md): node shot.mjs; it exits 1 if a check fails.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "../../..");
const env = (name, fallback) => process.env[name] || fallback;
const covenant = path.resolve(env("COVENANT", path.join(repo, "target/debug/covenant")));
const codeServer = env("CODE_SERVER", "code-server");
const vsix = path.resolve(env("VSIX", path.join(here, "../covenant-0.1.0.vsix")));
const out = path.resolve(env("OUT", path.join(repo, "docs/images/lsp-vscode.png")));

// A workspace with the example policies, one phrase misspelt; settings; extensions.
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "covenant-shot-"));
const policies = path.join(tmp, "ws/policies");
fs.cpSync(path.join(repo, "examples/policies"), policies, { recursive: true });
const jv = path.join(policies, "us-auto-jv.policy");
fs.writeFileSync(jv, fs.readFileSync(jv, "utf8").replace("partner board seats >", "partner board seat >"));
fs.mkdirSync(path.join(tmp, "ud/User"), { recursive: true });
fs.writeFileSync(path.join(tmp, "ud/User/settings.json"), JSON.stringify({
  "covenant.path": covenant,
  "files.autoSave": "off",
  "workbench.colorTheme": "Default Dark Modern",
  "workbench.startupEditor": "none",
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off",
  "extensions.autoCheckUpdates": false,
  "chat.commandCenter.enabled": false,
  "editor.minimap.enabled": false,
  "git.enabled": false,
}));
const port = await new Promise((ok) => {
  const s = net.createServer().listen(0, "127.0.0.1", () => {
    const { port } = s.address();
    s.close(() => ok(port));
  });
});
fs.writeFileSync(path.join(tmp, "config.yaml"), `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
const dirs = ["--config", path.join(tmp, "config.yaml"), "--user-data-dir", path.join(tmp, "ud"),
  "--extensions-dir", path.join(tmp, "ext")];
const install = spawnSync(codeServer, [...dirs, "--install-extension", vsix], { encoding: "utf8" });
if (install.status !== 0) throw new Error(`installing ${vsix}: ${install.stderr}`);
const server = spawn(codeServer, [...dirs, "--disable-telemetry", "--disable-update-check",
  "--disable-workspace-trust", path.join(tmp, "ws")], { stdio: "ignore", detached: true });

const failures = [];
function check(what, ok, detail) {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}: ${detail}`);
  if (!ok) failures.push(what);
}

const browser = await chromium.launch({
  executablePath: env("CHROMIUM", "/usr/bin/chromium"),
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  for (let i = 0; ; i++) {
    try { await page.goto(`http://127.0.0.1:${port}/`); break; } catch (e) {
      if (i === 60) throw e;
      await page.waitForTimeout(500);
    }
  }
  await page.waitForSelector(".monaco-workbench", { timeout: 60000 });
  await page.waitForTimeout(3000);
  const palette = async (keys, text) => {
    await page.keyboard.press(keys); await page.waitForTimeout(600);
    await page.keyboard.type(text); await page.waitForTimeout(800);
    await page.keyboard.press("Enter"); await page.waitForTimeout(800);
  };
  const lines = (needle) => page.evaluate((n) => [...document.querySelectorAll(".editor-instance .view-line")]
    .map((e) => e.textContent.replace(/\u00a0/g, " ")).filter((t) => t.includes(n)), needle);
  // The middle of `text` on the visible line that contains `line`.
  const spot = (line, text) => page.evaluate(([line, text]) => {
    for (const el of document.querySelectorAll(".editor-instance .view-line")) {
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      const nodes = [];
      let full = "";
      while (walker.nextNode()) { nodes.push([walker.currentNode, full.length]); full += walker.currentNode.data; }
      full = full.replace(/\u00a0/g, " ");
      if (!full.includes(line)) continue;
      const at = full.indexOf(line) + line.indexOf(text);
      const [node, off] = nodes.findLast(([, o]) => o <= at);
      const range = document.createRange();
      range.setStart(node, at - off);
      range.setEnd(node, Math.min(node.data.length, at - off + text.length));
      const r = range.getBoundingClientRect();
      return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
    }
    throw new Error(`no visible line with ${line}`);
  }, [line, text]);

  await palette("Control+P", "us-auto-jv.policy");
  await page.waitForSelector(".squiggly-error", { timeout: 30000 });
  await page.keyboard.press("Control+Shift+M");
  await page.waitForTimeout(1500);
  const problems = await page.locator(".markers-panel").innerText();
  check("diagnostics", problems.includes("unknown phrase `board seat`") &&
    problems.includes("covenant::resolve::unknown-phrase") && problems.includes("did you mean `board seats`"),
    problems.split("\n").slice(1, 6).join(" | "));

  await palette("Control+G", "24");  // an empty line: the cursor highlights no word
  const stake = await spot("foreign partner stake < 50%", "stake");
  await page.mouse.move(stake.x, stake.y);
  await page.waitForSelector(".monaco-hover .markdown-hover", { timeout: 10000 });
  await page.waitForTimeout(1000);
  const hover = (await page.locator(".monaco-hover").allInnerTexts()).join(" ").trim();
  check("hover", hover.includes("foreign partner[].stake"), hover.replace(/\s+/g, " "));
  fs.mkdirSync(path.dirname(out), { recursive: true });
  await page.screenshot({ path: out });
  console.log(`wrote ${out}`);
  await page.mouse.move(5, 400);

  const american = await spot("require total american partner stake", "american");
  await page.mouse.click(american.x, american.y);
  await page.keyboard.press("F12");
  await page.waitForTimeout(2500);
  const tab = await page.locator(".tab.active").innerText();
  const at = await page.locator("#status\\.editor\\.selection").innerText();
  check("go to definition", tab.includes("common.policy") && at.includes("Ln 10"), `${tab.trim()} ${at}`);
  await page.keyboard.press("Control+W");
  await page.waitForTimeout(800);

  await palette("Control+G", "24");
  await page.keyboard.type('rule demo "Demo": every party where gov');
  await page.keyboard.press("Control+Space");
  await page.waitForSelector(".suggest-widget.visible .monaco-list-row", { timeout: 10000 });
  const items = await page.locator(".suggest-widget .monaco-list-row").allInnerTexts();
  check("completion in a where", items.some((i) => i.startsWith("government stake")), items.join(", ").replace(/\n/g, " "));
  await page.keyboard.press("Escape");
  await palette("F1", "File: Revert File");

  const typo = await spot("american partner board seat", "board seat");
  await page.mouse.click(typo.x, typo.y);
  await page.keyboard.press("Control+.");
  await page.waitForSelector(".action-widget", { timeout: 10000 });
  await page.waitForTimeout(800);
  await page.keyboard.press("Enter");
  await page.waitForTimeout(2500);
  const fixed = await lines("american partner board");
  check("quick fix", fixed.some((l) => l.includes("board seats >")) && (await page.locator(".squiggly-error").count()) === 0,
    fixed.join(""));

  await palette("Control+G", "15");
  await page.keyboard.type("      ");
  await palette("F1", "Format Document");
  await page.waitForTimeout(1500);
  const severity = await lines("severity error");
  check("formatting", severity.includes("  severity error"), JSON.stringify(severity));
  await palette("F1", "File: Revert File");
} finally {
  await browser.close();
  process.kill(-server.pid);
  fs.rmSync(tmp, { recursive: true, force: true });
}
if (failures.length) {
  console.log(`failed: ${failures.join(", ")}`);
  process.exit(1);
}
