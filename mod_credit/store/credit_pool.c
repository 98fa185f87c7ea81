/* credit_pool.c: see credit_pool.h. */
#include <apr_allocator.h>
#include <apr_thread_mutex.h>

#include "credit_pool.h"

apr_pool_t *credit_pool_shared(apr_pool_t *parent)
{
    apr_allocator_t *allocator;
    apr_thread_mutex_t *lock;
    apr_pool_t *p;
    if (apr_allocator_create(&allocator) != APR_SUCCESS)
        return NULL;
    if (apr_pool_create_ex(&p, parent, NULL, allocator) != APR_SUCCESS) {
        apr_allocator_destroy(allocator);
        return NULL;
    }
    apr_allocator_owner_set(allocator, p); /* destroyed with p */
    if (apr_thread_mutex_create(&lock, APR_THREAD_MUTEX_DEFAULT, p) != APR_SUCCESS) {
        apr_pool_destroy(p);
        return NULL;
    }
    apr_allocator_mutex_set(allocator, lock);
    apr_pool_tag(p, "credit_shared");
    return p;
}
