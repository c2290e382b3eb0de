# One image for the API, the worker and the migration job (see docker-compose.yml).
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# The dev server is compiled for `npm start`; the Prisma client is generated from the schema.
RUN npm run build && npx prisma generate
ENV NODE_ENV=production
# Every interface of the container: the API's own default is 127.0.0.1, which nothing outside reaches.
ENV HOST=0.0.0.0
CMD ["npm", "run", "api"]
