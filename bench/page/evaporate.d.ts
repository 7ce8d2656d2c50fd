/** The part of Evaporate 2.1's API the bench uses (the package ships no types). */
declare module 'evaporate' {
  interface EvaporateConfig {
    aws_key: string;
    aws_url: string;
    bucket: string;
    awsRegion: string;
    awsSignatureVersion: '4';
    computeContentMd5: boolean;
    cryptoMd5Method: (data: ArrayBuffer | Uint8Array) => string;
    cryptoHexEncodedHash256: (data: string | ArrayBuffer | Uint8Array) => string;
    customAuthMethod: (
      signParams: Record<string, string>,
      signHeaders: Record<string, string>,
      stringToSign: string,
      signatureDateTime: string,
      canonicalRequest: string,
    ) => Promise<string>;
    partSize: number;
    maxConcurrentParts: number;
    logging?: boolean;
    s3FileCacheHoursAgo?: number | null;
    allowS3ExistenceOptimization?: boolean;
    mockLocalStorage?: boolean;
  }
  interface EvaporateFile {
    name: string;
    file: Blob;
    contentType?: string;
    error?: (message: string) => void;
  }
  interface Evaporate {
    add(file: EvaporateFile): Promise<string>;
  }
  const Evaporate: { create(config: EvaporateConfig): Promise<Evaporate> };
  export default Evaporate;
}
