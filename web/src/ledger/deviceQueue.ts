// One conversation with the device at a time: a second request (say, a balance refresh deriving addresses
// while a signature waits on the device) would interleave APDUs and confuse the app on the device.

export type DeviceQueue = <T>(task: () => Promise<T>) => Promise<T>;

export function createDeviceQueue(): DeviceQueue {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>) => {
    const run = tail.then(task, task);
    tail = run.catch(() => undefined);
    return run;
  };
}
