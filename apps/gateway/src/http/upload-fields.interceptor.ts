import {
  BadRequestException,
  PayloadTooLargeException,
  mixin,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
  type Type,
} from '@nestjs/common';
import type { Observable } from 'rxjs';

/** A file of a multipart form, as either adapter hands it over (multer's fields the gateway uses). */
export interface UploadedFile {
  fieldname: string;
  originalname: string;
  mimetype: string;
  size: number;
  buffer: Buffer;
}

export interface UploadField {
  name: string;
  maxCount: number;
}

export interface UploadLimits {
  /** bytes per file */
  fileSize: number;
  /** non-file fields */
  fields: number;
}

interface MultipartPart {
  type: 'file' | 'field';
  fieldname: string;
  filename?: string;
  mimetype?: string;
  value?: unknown;
  toBuffer?: () => Promise<Buffer>;
}

interface FastifyMultipartRequest {
  isMultipart?: () => boolean;
  parts?: (options: { limits: Record<string, number> }) => AsyncIterable<MultipartPart>;
  body?: unknown;
  files?: Record<string, UploadedFile[]>;
}

/**
 * Reads the named file fields of a multipart form into memory (`@UploadedFiles()`, the other fields as `@Body()`),
 * under either HTTP adapter: @fastify/multipart on Fastify, multer (FileFieldsInterceptor) on Express. The same
 * limits and the same refusals: a file over `fileSize` is 413 "File too large", an unexpected file field or too many
 * fields 400. A request that is not multipart goes on untouched (its JSON body, if any, stays the body).
 */
export function UploadFieldsInterceptor(fields: UploadField[], limits: UploadLimits): Type<NestInterceptor> {
  // @nestjs/platform-express (and multer with it) loads only under Express: on Fastify it was ~3 MB of heap for nothing
  const expressUploads = (): NestInterceptor => {
    const { FileFieldsInterceptor } = require('@nestjs/platform-express') as typeof import('@nestjs/platform-express');
    return new (FileFieldsInterceptor(fields, { limits: { fileSize: limits.fileSize, fields: limits.fields } }))();
  };

  class UploadFields implements NestInterceptor {
    private express?: NestInterceptor;

    async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
      const req = context.switchToHttp().getRequest<FastifyMultipartRequest>();
      if (typeof req.isMultipart !== 'function') {
        this.express ??= expressUploads();
        return this.express.intercept(context, next) as Promise<Observable<unknown>>;
      }
      if (!req.isMultipart() || !req.parts) return next.handle();
      const parts = req.parts.bind(req);
      const files: Record<string, UploadedFile[]> = {};
      const body: Record<string, unknown> = {};
      const maxFiles = fields.reduce((n, f) => n + f.maxCount, 0);
      try {
        for await (const part of parts({ limits: { fileSize: limits.fileSize, fields: limits.fields, files: maxFiles + 1 } })) {
          if (part.type === 'field') {
            body[part.fieldname] = part.value;
            continue;
          }
          const field = fields.find((f) => f.name === part.fieldname);
          const taken = (files[part.fieldname] ??= []);
          if (!field || taken.length >= field.maxCount) throw new BadRequestException(`Unexpected field - ${part.fieldname}`);
          if (!part.toBuffer) throw new BadRequestException(`Unexpected field - ${part.fieldname}`);
          const buffer = await part.toBuffer();
          taken.push({ fieldname: part.fieldname, originalname: part.filename ?? '', mimetype: part.mimetype ?? '', size: buffer.length, buffer });
        }
      } catch (e) {
        throw refusalOf(e);
      }
      for (const [name, list] of Object.entries(files)) if (list.length === 0) delete files[name];
      req.files = files;
      req.body = body;
      return next.handle();
    }
  }
  return mixin(UploadFields);
}

/** @fastify/multipart's errors as multer's (Nest maps those): the same statuses and messages under both adapters. */
function refusalOf(e: unknown): unknown {
  switch ((e as { code?: unknown }).code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return new PayloadTooLargeException('File too large');
    case 'FST_FIELDS_LIMIT':
      return new BadRequestException('Too many fields');
    case 'FST_FILES_LIMIT':
    case 'FST_PARTS_LIMIT':
      return new BadRequestException('Too many files');
    case 'FST_PROTO_VIOLATION':
    case 'FST_MP_PREMATURE_CLOSE':
      return new BadRequestException((e as Error).message);
    default:
      return e;
  }
}
