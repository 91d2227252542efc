/** Whether an object has an own enumerable key: `Object.keys(value).length > 0` without building the array. */
export function hasOwnKeys(value: object): boolean {
  for (const key in value) if (Object.prototype.hasOwnProperty.call(value, key)) return true;
  return false;
}
