// Empty until this package's issue lands; see README.md.
export {};
