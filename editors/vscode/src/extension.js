// The Covenant extension: starts `covenant lsp` (the `covenant.path` setting) and connects
// VS Code to it. Plain JavaScript, so that packaging needs no build step.
"use strict";

const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const config = vscode.workspace.getConfiguration("covenant");
  const command = config.get("path") || "covenant";
  const docs = config.get("diagnosticsDocs") || undefined;
  const server = { command, args: ["lsp"] };
  client = new LanguageClient(
    "covenant",
    "Covenant",
    { run: server, debug: server },
    {
      documentSelector: [{ language: "covenant" }],
      // A used policy, a schema, a calendar or a rate table changed on disk: re-check.
      synchronize: {
        fileEvents: vscode.workspace.createFileSystemWatcher("**/*.{policy,json,csv}"),
      },
      initializationOptions: docs ? { diagnosticsDocs: docs } : {},
    }
  );
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration("covenant.path")) {
        vscode.window.showInformationMessage(
          "Covenant: reload the window to start the new `covenant.path`."
        );
      }
    })
  );
  return client.start().catch((e) => {
    vscode.window.showErrorMessage(
      `Covenant: cannot start \`${command} lsp\` (${e.message}). Set \`covenant.path\` to the covenant program.`
    );
  });
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
