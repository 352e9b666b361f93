import { NetifydError } from '@netifyd/plugin-sdk';

/** A configuration file or command-line value is wrong; the message names file/option, key and value. */
export class ConfigError extends NetifydError {
  constructor(code: string, message: string) {
    super(code, message);
    this.name = 'ConfigError';
  }
}

/** Exit codes of the `netifyd` command. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
