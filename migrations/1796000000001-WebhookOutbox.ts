import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhooks as rows: a completed certification with a callbackUrl gets its outbox row in the same
 * transaction as its result, so that a Redis that loses its data loses no webhook (the sweeper
 * re-enqueues pending rows). `delivery_id` is what the receiver dedupes on, the same on every attempt.
 */
export class WebhookOutbox1796000000001 implements MigrationInterface {
  name = 'WebhookOutbox1796000000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE `webhook_outbox` (`certification_id` char(36) CHARACTER SET "ascii" COLLATE "ascii_bin" NOT NULL, `delivery_id` char(36) CHARACTER SET "ascii" COLLATE "ascii_bin" NOT NULL, `status` varchar(16) CHARACTER SET "ascii" COLLATE "ascii_bin" NOT NULL, `created_at` datetime(3) NOT NULL, `updated_at` datetime(3) NOT NULL, `delivered_at` datetime(3) NULL, INDEX `idx_webhook_outbox_status_updated` (`status`, `updated_at`), UNIQUE INDEX `uq_webhook_outbox_delivery` (`delivery_id`), PRIMARY KEY (`certification_id`)) ENGINE=InnoDB',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE `webhook_outbox`');
  }
}
