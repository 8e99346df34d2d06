/** A size as people say it: "64 KiB", "2 MiB", "16 MiB". */
export function sizeText(bytes: number): string {
  const mib = 1024 * 1024;
  return bytes >= mib ? `${+(bytes / mib).toFixed(1)} MiB` : `${+(bytes / 1024).toFixed(1)} KiB`;
}
