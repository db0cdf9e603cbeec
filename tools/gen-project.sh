#!/usr/bin/env bash
# usage: gen-project.sh <root> <name> <type:app|lib> <scope> <typeTag> "<description>"
set -e
root=$1; name=$2; kind=$3; scope=$4; ttag=$5; desc=$6
mkdir -p $root/src
depth=$(echo $root | awk -F/ '{print NF}'); up=$(printf '../%.0s' $(seq 1 $depth))
if [ "$kind" = app ]; then
cat > $root/project.json <<JSON
{
  "name": "$name",
  "\$schema": "${up}node_modules/nx/schemas/project-schema.json",
  "sourceRoot": "$root/src",
  "projectType": "application",
  "tags": ["scope:$scope", "type:$ttag"],
  "targets": {
    "build": {
      "executor": "nx:run-commands",
      "outputs": ["{workspaceRoot}/dist/$root"],
      "options": { "command": "node tools/build/build-node-app.mjs $root" }
    },
    "serve": {
      "executor": "nx:run-commands",
      "dependsOn": ["build"],
      "continuous": true,
      "options": { "command": "node dist/$root/main.js" }
    },
    "lint": { "executor": "@nx/eslint:lint" },
    "test": {
      "executor": "@nx/jest:jest",
      "outputs": ["{workspaceRoot}/coverage/{projectRoot}"],
      "options": { "jestConfig": "$root/jest.config.ts" }
    }
  }
}
JSON
else
cat > $root/project.json <<JSON
{
  "name": "$name",
  "\$schema": "${up}node_modules/nx/schemas/project-schema.json",
  "sourceRoot": "$root/src",
  "projectType": "library",
  "tags": ["scope:$scope", "type:$ttag"],
  "targets": {
    "lint": { "executor": "@nx/eslint:lint" },
    "test": {
      "executor": "@nx/jest:jest",
      "outputs": ["{workspaceRoot}/coverage/{projectRoot}"],
      "options": { "jestConfig": "$root/jest.config.ts", "passWithNoTests": false }
    }
  }
}
JSON
fi
cat > $root/tsconfig.json <<JSON
{
  "extends": "${up}tsconfig.base.json",
  "compilerOptions": { "types": ["node", "jest"] },
  "include": ["src/**/*.ts"]
}
JSON
cat > $root/tsconfig.spec.json <<JSON
{
  "extends": "./tsconfig.json",
  "compilerOptions": { "isolatedModules": true, "types": ["node", "jest"] },
  "include": ["src/**/*.ts", "jest.config.ts"]
}
JSON
cat > $root/jest.config.ts <<JSON
/* eslint-disable */
export default {
  displayName: '$name',
  preset: '${up}jest.preset.js',
  rootDir: '.',
  coverageDirectory: '${up}coverage/$root',
};
JSON
cat > $root/eslint.config.mjs <<JSON
import baseConfig from '${up}eslint.config.mjs';

export default [...baseConfig];
JSON
cat > $root/README.md <<MD
# $name

$desc
MD
