#!/usr/bin/env node
/**
 * Fast start of `npm run synth`: instead of compiling ~200 TypeScript files (7 MB of them generated
 * CRD classes) through tsx's loader hooks on every run, the render is bundled once with esbuild
 * (the compiler tsx itself uses) into node_modules/.cache/synth/, tree-shaken, and run with a V8
 * code cache. The bundle is rebuilt whenever a source file, the lockfile or this launcher changes
 * (key: their paths, sizes and mtimes), so it is never stale; the output is the same bytes as
 * `tsx render/main.ts`, which stays the reference (tests run the TypeScript directly).
 *
 *   node render/launch.cjs [synth arguments]      (npm run synth -- --help)
 */
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const Module = require('module');
const path = require('path');
const vm = require('vm');
const { isMainThread, Worker, workerData } = require('worker_threads');

const ROOT = path.resolve(__dirname, '..');
const SOURCE_DIRS = ['platform', 'charts', 'apps-of-apps', 'infra', 'render', 'imports'];
const CACHE_DIR = path.join(ROOT, 'node_modules', '.cache', 'synth');

/** Paths, sizes and mtimes of everything the bundle is made of. */
function sourceKey() {
  const hash = crypto.createHash('sha256');
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (/\.(ts|cjs|json|ya?ml)$/.test(entry.name)) {
        const s = fs.statSync(p);
        hash.update(`${p}\0${s.size}\0${s.mtimeMs}\n`);
      }
    }
  };
  for (const dir of SOURCE_DIRS) walk(path.join(ROOT, dir));
  for (const file of ['package-lock.json', 'tsconfig.json']) {
    const s = fs.statSync(path.join(ROOT, file));
    hash.update(`${file}\0${s.size}\0${s.mtimeMs}\n`);
  }
  hash.update(process.version);
  return hash.digest('hex').slice(0, 20);
}

/** Writes a file atomically (another synth may be reading or writing the same cache). */
function writeAtomic(file, data) {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

/** Builds the bundle in a short child process: esbuild's plugins need its async API. */
function buildWithPlugins(outfile) {
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  require('child_process').execFileSync(process.execPath, [__filename, '--build-bundle', outfile], { stdio: 'inherit' });
}

/** Bundles render/main.ts; each repository file keeps its own __dirname (load.ts reads files beside it). */
async function buildBundle(outfile) {
  const esbuild = require('esbuild');
  const ownDirname = {
    name: 'own-dirname',
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, (args) => {
        if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
        const source = fs.readFileSync(args.path, 'utf8');
        const contents = source.replace(/\b__dirname\b/g, JSON.stringify(path.dirname(args.path))).replace(/\b__filename\b/g, JSON.stringify(args.path));
        return { contents, loader: 'ts' };
      });
    },
  };
  const result = await esbuild.build({
    entryPoints: [path.join(ROOT, 'render', 'main.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    keepNames: false,
    minifyWhitespace: true,
    write: false,
    logLevel: 'error',
    plugins: [ownDirname],
  });
  writeAtomic(outfile, result.outputFiles[0].contents);
}

/** Loads the bundle (with its V8 code cache) and returns its exports and whether the cache should be written. */
function load(bundle) {
  const cacheFile = `${bundle}.v8cache`;
  const source = fs.readFileSync(bundle, 'utf8');
  const cachedData = fs.existsSync(cacheFile) ? fs.readFileSync(cacheFile) : undefined;
  const script = new vm.Script(Module.wrap(source), { filename: bundle, cachedData });
  const mod = { exports: {}, filename: bundle, id: bundle, loaded: false, children: [], paths: [] };
  script.runInThisContext()(mod.exports, Module.createRequire(bundle), mod, bundle, path.dirname(bundle));
  const writeCache = () => {
    if (cachedData !== undefined && !script.cachedDataRejected) return;
    try {
      writeAtomic(cacheFile, script.createCachedData());
    } catch {
      // A cache is an optimisation only.
    }
  };
  return { exports: mod.exports, writeCache };
}

/**
 * Runs the bundle's main. It may reuse an environment's earlier render (render/render-cache.ts) under
 * the bundle's own key (the same code, lockfile and Node version), and render environments on
 * threads that run this launcher, and so the same bundle (render/render-threads.ts).
 */
function run(bundle, key, argv) {
  const { exports, writeCache } = load(bundle);
  const startRenderThread = () => new Worker(__filename, { workerData: { renderThread: true, bundle } });
  // SYNTH_RENDER_CACHE: another folder for the render cache (npm run bench keeps its own).
  const renderCache = { dir: process.env.SYNTH_RENDER_CACHE || path.join(CACHE_DIR, 'renders'), codeKey: key };
  return exports.main(argv, { renderCache, startRenderThread }).then((code) => {
    writeCache();
    return code;
  });
}

if (!isMainThread && workerData && workerData.renderThread === true) {
  load(workerData.bundle).exports.serveRenderThread();
} else if (process.argv[2] === '--build-bundle') {
  buildBundle(process.argv[3]).catch((err) => {
    console.error(`synth: cannot bundle the render: ${err.message}`);
    process.exit(1);
  });
} else {
  const key = sourceKey();
  const bundle = path.join(CACHE_DIR, `synth-${key}.js`);
  if (!fs.existsSync(bundle)) buildWithPlugins(bundle);
  run(bundle, key, process.argv.slice(2)).then((code) => (process.exitCode = code));
}
