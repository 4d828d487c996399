import * as fs from "fs";
import { referenceRoot } from "./reference";

// A mocha root hook (.mocharc.json "require"): when the upstream references are missing, the conformance tests skip
// themselves (test/harness/reference.ts), and the run says so in one line instead of passing quietly.

/** Tests of a suite tree that did not run: skipped in their own body or by a `before` hook of their suite. */
export function skippedTests(suite: Mocha.Suite): number {
    return suite.tests.filter((t) => t.isPending()).length + suite.suites.reduce((n, s) => n + skippedTests(s), 0);
}

export const mochaHooks = {
    afterAll(this: Mocha.Context) {
        if (fs.existsSync(referenceRoot)) return;
        let root = this.test?.parent;
        while (root?.parent) root = root.parent;
        const skipped = root ? skippedTests(root) : 0;
        if (skipped > 0) {
            console.log(
                `\n  ${skipped} conformance test${skipped === 1 ? "" : "s"} skipped: ${referenceRoot} not found ` +
                    "(the shared folder beside the project, or HOMELAB_REFERENCE; under CI=true they fail instead)",
            );
        }
    },
};
