// Filled in by the example's first change.
export {};
