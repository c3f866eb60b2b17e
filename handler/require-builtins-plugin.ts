import { builtinModules } from 'node:module';
import type { Plugin } from 'esbuild';

const BUILTIN = new RegExp(
  `^(node:)?(${builtinModules.map((name) => name.replaceAll('/', '\\/')).join('|')})$`,
);
const NAMESPACE = 'require-builtin';

/**
 * Loads Node built-ins with require() instead of ESM `import`. An ESM import of a built-in builds
 * a facade that reads every export, and reading `http`'s lazy getters loads undici: about 15-20 ms
 * of a cold start, measured with --cpu-prof, for code the handler never uses.
 */
export const requireBuiltinsPlugin: Plugin = {
  name: 'require-builtins',
  setup(build) {
    build.onResolve({ filter: BUILTIN }, (args) =>
      args.namespace === NAMESPACE
        ? { path: args.path, external: true }
        : { path: args.path, namespace: NAMESPACE },
    );
    build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};
