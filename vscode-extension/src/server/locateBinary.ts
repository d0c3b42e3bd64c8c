// `discoverBinary` fed with this machine: the settings, PATH, the home directory, the disk.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as vscode from 'vscode';

import { type Discovery, discoverBinary } from './binary.ts';
import { readSettings } from '../settings.ts';

export function locateBinary(): Discovery {
  const settings = readSettings((key) => vscode.workspace.getConfiguration('wasmscope').get(key));
  return discoverBinary({
    setting: settings.path,
    pathVariable: process.env['PATH'],
    home: os.homedir(),
    platform: process.platform,
    workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    isExecutable,
  });
}

function isExecutable(file: string): boolean {
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) {
      return false;
    }
    if (process.platform === 'win32') {
      return true;
    }
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
