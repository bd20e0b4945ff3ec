import { MigrationInterface, QueryRunner } from 'typeorm';

/** Spreadsheet imports: the uploaded bytes (content-addressed), the import and the result of every row. */
export class Imports1796000000007 implements MigrationInterface {
  name = 'Imports1796000000007';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE `import_files` (`sha256` binary(32) NOT NULL, `bytes` longblob NOT NULL, `size` int NOT NULL, `created_at` datetime(3) NOT NULL, PRIMARY KEY (`sha256`)) ENGINE=InnoDB',
    );
    await queryRunner.query(
      'CREATE TABLE `imports` (`id` char(36) CHARACTER SET "ascii" COLLATE "ascii_bin" NOT NULL, `provider_id` char(36) CHARACTER SET "ascii" COLLATE "ascii_bin" NOT NULL, `file_sha256` binary(32) NOT NULL, `file_name` varchar(255) NOT NULL, `format` varchar(8) CHARACTER SET "ascii" COLLATE "ascii_bin" NOT NULL, `status` varchar(16) CHARACTER SET "ascii" COLLATE "ascii_bin" NOT NULL, `total_rows` int NOT NULL, `processed_rows` int NOT NULL DEFAULT 0, `created_count` int NOT NULL DEFAULT 0, `replayed_count` int NOT NULL DEFAULT 0, `rejected_count` int NOT NULL DEFAULT 0, `warnings` text NOT NULL, `failure_reason` varchar(500) NULL, `created_at` datetime(3) NOT NULL, `updated_at` datetime(3) NOT NULL, `completed_at` datetime(3) NULL, UNIQUE INDEX `uq_imports_provider_file` (`provider_id`, `file_sha256`), INDEX `idx_imports_provider` (`provider_id`, `id`), INDEX `idx_imports_status_updated` (`status`, `updated_at`), PRIMARY KEY (`id`)) ENGINE=InnoDB',
    );
    await queryRunner.query(
      'CREATE TABLE `import_rows` (`import_id` char(36) CHARACTER SET "ascii" COLLATE "ascii_bin" NOT NULL, `row_number` int NOT NULL, `result` varchar(16) CHARACTER SET "ascii" COLLATE "ascii_bin" NOT NULL, `column_name` varchar(32) NULL, `message` varchar(500) NULL, `entry_id` char(36) CHARACTER SET "ascii" COLLATE "ascii_bin" NULL, PRIMARY KEY (`import_id`, `row_number`)) ENGINE=InnoDB',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE `import_rows`');
    await queryRunner.query('DROP TABLE `imports`');
    await queryRunner.query('DROP TABLE `import_files`');
  }
}
