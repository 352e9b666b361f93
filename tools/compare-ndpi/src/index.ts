// Filled in by this tool's first change.
export {};
