/** Whether @netifyd/native-dpi is built and exports its Engine (engine-dependent tests skip otherwise). */
async function probe(): Promise<string | undefined> {
  try {
    const module = (await import('@netifyd/native-dpi')) as { Engine?: unknown };
    return typeof module.Engine === 'function' ? undefined : 'it exports no Engine (not built yet?)';
  } catch (error) {
    return (error as Error).message;
  }
}

const reason = await probe();
export const engineAvailable = reason === undefined;
if (reason !== undefined) console.log(`skipping engine tests: cannot load @netifyd/native-dpi: ${reason}`);
