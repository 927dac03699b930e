import type { Page } from 'playwright-core';

/**
 * Picks a path in main's folder browser (the web host's picker dialog) the way a user does:
 * opens each folder of `folders` in turn from where the dialog starts (home), then either
 * chooses the folder it is in, or, given `file`, selects that file and opens it.
 */
export async function pickInBrowserDialog(page: Page, folders: readonly string[], file?: string): Promise<void> {
  const dialog = page.getByTestId('path-picker');
  await dialog.waitFor();
  for (const name of folders) {
    await dialog.locator(`[data-testid="path-picker-entry"][data-kind="folder"][data-name="${name}"]`).click();
    await page.waitForFunction(
      (expected) => document.querySelector('[data-testid="path-picker-path"]')?.getAttribute('data-path')?.endsWith(`/${expected}`) ?? false,
      name,
    );
  }
  if (file) await dialog.locator(`[data-testid="path-picker-entry"][data-kind="file"][data-name="${file}"]`).click();
  await dialog.getByTestId('path-picker-choose').click();
  await dialog.waitFor({ state: 'detached' });
}
