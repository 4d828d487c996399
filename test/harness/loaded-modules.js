// A --require hook: on exit, writes every file the process loaded (one path a line) to $LOADED_MODULES_FILE,
// so a test can count which packages a command pulls in. Plain JavaScript: it runs before ts-node registers.
const fs = require("fs");
const Module = require("module");

const loaded = new Set();
const load = Module._load;
Module._load = function (request, parent, isMain) {
    const exported = load.apply(this, arguments);
    try {
        loaded.add(Module._resolveFilename(request, parent, isMain));
    } catch {
        // A built-in module (fs, node:util) has no file.
    }
    return exported;
};
process.on("exit", () => fs.writeFileSync(process.env.LOADED_MODULES_FILE, [...loaded].join("\n")));
