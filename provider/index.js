// The plugin's entry. The Node.js language host runs a plugin folder as `node <@pulumi/pulumi/cmd/run-plugin,
// resolved from this folder> <this folder> <engine address>`, in the project's directory (pulumi-language-nodejs
// v3.248.0 main.go RunPlugin), so modules resolve from the project's node_modules. run-plugin has registered
// ts-node with type checking by then (@pulumi/pulumi 3.248.0 cmd/run-plugin/run.js: `typeCheck: true`, the
// tsconfig.json of the working directory), and requires this folder: index.js first. Type-checking the provider at
// every start costs seconds (`npm run lint` checks it already), so .ts files are only transpiled here, with swc, as
// tsconfig.pulumi.json has the program transpiled; the loader calls Module#_compile itself, so no other .ts hook
// runs. Plain JavaScript, so that this file needs neither.
const fs = require("fs");
const { transformSync } = require("@swc/core");

require.extensions[".ts"] = (module, filename) => {
    const { code } = transformSync(fs.readFileSync(filename, "utf8"), {
        filename,
        jsc: { parser: { syntax: "typescript" }, target: "es2022" },
        module: { type: "commonjs" },
        sourceMaps: "inline",
    });
    module._compile(code, filename);
};

require("./serve.ts");
