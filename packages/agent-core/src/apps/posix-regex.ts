const CLASSES: Readonly<Record<string, string>> = {
  alnum: 'a-zA-Z0-9',
  alpha: 'a-zA-Z',
  blank: ' \\t',
  cntrl: '\\x00-\\x1f\\x7f',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\s',
  upper: 'A-Z',
  xdigit: '0-9a-fA-F',
};

/**
 * A POSIX extended regular expression (netifyd's `xfm` records) as a case-insensitive,
 * global JavaScript RegExp. ERE is a subset of JS syntax except for bracket classes such as
 * `[[:digit:]]`, which are rewritten; std::regex_replace replaces every match, hence `g`.
 * Throws a SyntaxError with the reason when the expression is invalid.
 */
export function compilePosixRegex(source: string): RegExp {
  let unknown: string | undefined;
  const translated = source.replace(/\[:([a-z]+):\]/g, (whole, name: string) => {
    const range = CLASSES[name];
    if (range === undefined) unknown ??= whole;
    return range ?? whole;
  });
  if (unknown !== undefined) throw new SyntaxError(`unknown character class ${unknown}`);
  return new RegExp(translated, 'gi');
}
