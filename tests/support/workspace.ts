/**
 * Where the end-to-end tests find the sites they serve. HEARTH_WORKSPACE=<name> gives a build its
 * own folders (build-<name>/, build-sub-<name>/, .svelte-kit-<name>/), so several people or
 * agents can build and test on one machine at once without overwriting each other.
 */
const workspace = process.env.HEARTH_WORKSPACE;
const suffix = workspace ? `-${workspace}` : '';

export const ROOT_BUILD_DIR = `build${suffix}`;
export const SUB_PATH_BUILD_DIR = `build-sub${suffix}`;
export const TEST_RESULTS_DIR = `test-results${suffix}`;
