import * as fs from "fs";
import * as path from "path";

/** Where the upstream schemas live: ../shared/reference beside the project, or $HOMELAB_REFERENCE. */
export const referenceRoot = process.env.HOMELAB_REFERENCE ?? path.resolve(__dirname, "../../../shared/reference");

/**
 * The absolute path of an upstream reference file. When the reference tree is missing, suites skip
 * locally but fail under CI (CI=true), so conformance can never silently stop being checked.
 */
export function referenceFile(relative: string, ctx?: Mocha.Context): string {
    const file = path.join(referenceRoot, relative);
    if (fs.existsSync(file)) return file;
    if (process.env.CI === "true" || !ctx) {
        throw new Error(`reference file ${file} is missing: conformance tests need ../shared/reference`);
    }
    return ctx.skip();
}
