/** One input column of a model. */
export interface FeatureSpec {
  name: string;
  dtype: 'float32';
  description: string;
}

/** The versioned list of columns a model reads, in input order; it travels in the model's metadata. */
export interface FeatureSchema {
  version: string;
  features: FeatureSpec[];
}

/** Builds a schema from `[name, description]` pairs, refusing empty or repeated names. */
export function defineFeatureSchema(version: string, features: ReadonlyArray<readonly [string, string]>): FeatureSchema {
  if (!version) throw new RangeError('a feature schema needs a version');
  if (features.length === 0) throw new RangeError('a feature schema needs at least one feature');
  const seen = new Set<string>();
  for (const [name] of features) {
    if (!name) throw new RangeError('feature names must not be empty');
    if (seen.has(name)) throw new RangeError(`feature '${name}' is defined twice`);
    seen.add(name);
  }
  return { version, features: features.map(([name, description]) => ({ name, dtype: 'float32', description })) };
}

/** The schema's feature names in input order. */
export function featureNames(schema: FeatureSchema): string[] {
  return schema.features.map((f) => f.name);
}
