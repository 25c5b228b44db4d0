// Copies the pinned browser libraries from node_modules into hackathon/static/vendor/.
//
//   cd frontend && npm ci --ignore-scripts && node vendor.mjs          (or: make vendor-js)
//   node vendor.mjs --check    exits 1 when the vendored copy differs from node_modules
//
// Each library lands, unchanged, in vendor/<name>-<version>/ with its licence, and the page
// scripts' imports are pointed at that folder: a new version is a new URL, so no browser
// keeps an old copy from its cache. The files are ES modules that import each other by
// relative path, so nothing is bundled.

import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, "..");
const vendorRoot = join(repo, "hackathon", "static", "vendor");
const scripts = join(repo, "hackathon", "static", "js");

// The SHA-256 of uploads: sha2.js and the three modules it imports.
const LIBRARIES = [
  {
    pkg: "@noble/hashes",
    folder: "noble-hashes",
    files: ["sha2.js", "_md.js", "_u64.js", "utils.js", "LICENSE", "package.json"],
  },
];

const check = process.argv.includes("--check");
const digest = (path) => createHash("sha256").update(readFileSync(path)).digest("hex");
let differences = 0;

for (const lib of LIBRARIES) {
  const source = join(here, "node_modules", ...lib.pkg.split("/"));
  if (!existsSync(source)) {
    console.error(`${lib.pkg} is not installed: run "npm ci --ignore-scripts" in frontend/ first`);
    process.exit(2);
  }
  const { version } = JSON.parse(readFileSync(join(source, "package.json"), "utf8"));
  const name = `${lib.folder}-${version}`;
  const target = join(vendorRoot, name);

  if (check) {
    for (const file of lib.files) {
      const copy = join(target, file);
      if (!existsSync(copy) || digest(copy) !== digest(join(source, file))) {
        console.error(`differs from ${lib.pkg}@${version}: ${join("hackathon/static/vendor", name, file)}`);
        differences += 1;
      }
    }
    continue;
  }

  for (const old of readdirSync(vendorRoot, { withFileTypes: true })) {
    if (old.isDirectory() && old.name.startsWith(`${lib.folder}-`) && old.name !== name) {
      rmSync(join(vendorRoot, old.name), { recursive: true });
    }
  }
  mkdirSync(target, { recursive: true });
  for (const file of lib.files) cpSync(join(source, file), join(target, file));

  const path = new RegExp(`/vendor/${lib.folder}-[^/]+/`, "g");
  for (const script of readdirSync(scripts).filter((f) => f.endsWith(".js"))) {
    const file = join(scripts, script);
    const text = readFileSync(file, "utf8");
    const updated = text.replace(path, `/vendor/${name}/`);
    if (updated !== text) writeFileSync(file, updated);
  }
  console.log(`${lib.pkg}@${version} -> hackathon/static/vendor/${name}/`);
}

if (check && differences) process.exit(1);
